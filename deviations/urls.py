from django.urls import path

from deviations import views

app_name = "deviations"

urlpatterns = [
    path("", views.DeviationListView.as_view(), name="list"),
    path("ny/", views.DeviationCreateView.as_view(), name="create"),
    path("<int:pk>/", views.DeviationDetailView.as_view(), name="detail"),
    path("<int:pk>/andra/", views.DeviationUpdateView.as_view(), name="edit"),
    path("<int:pk>/steg/<slug:to>/", views.TransitionView.as_view(), name="transition"),
    path("<int:pk>/kommentar/", views.comment, name="comment"),
    path("<int:pk>/tilldela/", views.assign, name="assign"),
    path("<int:pk>/bedomning/", views.ReviewView.as_view(), name="review"),
    path("sekretariatet/", views.QueueView.as_view(), name="queue"),
    path("statistik/", views.StatisticsView.as_view(), name="statistics"),
    path("statistik/rapport.pdf", views.statistics_pdf, name="statistics_pdf"),
    path("statistik/sammanstallning.csv", views.statistics_csv, name="statistics_csv"),
    path("kategorier/", views.CategoryListView.as_view(), name="categories"),
    path("kategorier/ny/", views.CategoryCreateView.as_view(), name="category_create"),
    path("kategorier/<int:pk>/", views.CategoryUpdateView.as_view(), name="category_edit"),
    path("notiser/<int:pk>/last/", views.notification_read, name="notification_read"),
]
